using System.Globalization;

namespace Sessions.Bench;

/// <summary>CPU time and memory of server processes from /proc, in clock ticks (USER_HZ, 100 on Linux).</summary>
internal static class ProcStat
{
    public const double TicksPerSecond = 100;

    /// <summary>utime+stime of one process; 0 once it is gone.</summary>
    public static long Ticks(int pid) => Fields(pid) is { } f ? Parse(f[11]) + Parse(f[12]) : 0;

    /// <summary>
    /// A process and its children, as for the PostgreSQL postmaster and its backends: the children alive now, plus
    /// cutime+cstime of those that exited and were reaped.
    /// </summary>
    public static long TreeTicks(int pid)
    {
        if (Fields(pid) is not { } own)
            return 0;
        var total = Parse(own[11]) + Parse(own[12]) + Parse(own[13]) + Parse(own[14]);
        foreach (var child in Children(pid))
            total += Ticks(child);
        return total;
    }

    /// <summary>The bench's own CPU with its reaped children (wrk, each run waited for and so reaped before this is read).</summary>
    public static long SelfTicks()
    {
        var own = Fields(Environment.ProcessId)!;
        return Parse(own[11]) + Parse(own[12]) + Parse(own[13]) + Parse(own[14]);
    }

    public static IEnumerable<int> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Fields(pid) is { } f && Parse(f[1]) == parent)
                yield return pid;
        }
    }

    /// <summary>Resident set size in MiB (VmRSS), or null once the process is gone.</summary>
    public static double? RssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Busy and total ticks of the whole machine (first line of /proc/stat): how much else ran beside the server.</summary>
    public static (long Busy, long Total) Machine()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(Parse).ToArray();
        var idle = parts[3] + parts[4];
        var total = parts.Sum();
        return (total - idle, total);
    }

    // Fields after the command name (which may hold spaces): [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
    private static string[]? Fields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Parse(string value) => long.Parse(value, CultureInfo.InvariantCulture);
}
