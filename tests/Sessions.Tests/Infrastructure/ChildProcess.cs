using System.Diagnostics;

namespace Sessions.Tests.Infrastructure;

/// <summary>Runs a program the tests need (a deploy script, a PostgreSQL tool) to its end, within a deadline.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> with its output redirected and waits for it to exit; at the deadline it is
    /// killed with its children and a <see cref="TimeoutException"/> names it. A program that cannot be started at
    /// all exits 127, as a shell would say.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (127, "", exception.Message);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                var arguments = start.ArgumentList.Count > 0 ? string.Join(' ', start.ArgumentList) : start.Arguments;
                throw new TimeoutException($"{start.FileName} {arguments} did not finish within {timeout}.");
            }
            return (process.ExitCode, await output, await error);
        }
    }
}
