using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>Progress lines on stderr, so stdout carries only the table.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Line(string message) =>
        Console.Error.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {message}");
}
