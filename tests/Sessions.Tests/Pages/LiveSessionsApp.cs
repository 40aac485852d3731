using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Pages;

/// <summary>The same single-process service as <see cref="SessionsApp"/>, but on Kestrel: a browser needs a real socket.</summary>
public sealed class LiveSessionsApp : SessionsApp
{
    public LiveSessionsApp()
    {
        // Port 0: the OS picks a free one, so parallel runs never collide.
        UseKestrel(0);
    }

    /// <summary>Starts the server and answers where it listens.</summary>
    public Uri Start()
    {
        StartServer();
        return ClientOptions.BaseAddress;
    }
}
