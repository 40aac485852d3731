using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sessions.Bench;

/// <summary>A server the bench started, with its output in a log file; stopped with SIGTERM, then SIGKILL past a deadline.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;

    private ChildProcess(Process process, string name, string logFile)
    {
        _process = process;
        Name = name;
        LogFile = logFile;
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/> through <c>sh -c exec</c>, so the pid is the server's own and its output goes straight to the log.</summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logFile)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(file);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["BENCH_LOG"] = logFile;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        return new ChildProcess(process, name, logFile);
    }

    /// <summary>Runs a command to completion (bounded by <paramref name="timeout"/>) and throws if it fails.</summary>
    public static async Task RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var child = Start(Path.GetFileName(file), file, arguments, environment, workingDirectory, logFile);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await child._process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s (log: {logFile})");
        }
        if (child._process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {child._process.ExitCode} (log: {logFile})");
    }

    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        _ = Kill(_process.Id, SigTerm);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for a call this small.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
