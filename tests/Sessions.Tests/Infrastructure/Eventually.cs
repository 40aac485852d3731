namespace Sessions.Tests.Infrastructure;

/// <summary>Polling with a deadline, for what happens in other processes on their own time.</summary>
public static class Eventually
{
    public static async Task Succeeds(Func<Task<bool>> condition, TimeSpan within, string? because = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Not there yet: a refused connection is as good as a "no".
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Condition not met within {within}{(because is null ? "" : ": " + because)}.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
