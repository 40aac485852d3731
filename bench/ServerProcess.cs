namespace Sessions.Bench;

/// <summary>A process whose CPU counts as the server's. A store (Redis, PostgreSQL) is counted apart from the app; a tree counts its children too.</summary>
internal sealed record ServerProcess(string Name, int Pid, bool IsStore = false, bool IsTree = false)
{
    public long Ticks() => IsTree ? ProcStat.TreeTicks(Pid) : ProcStat.Ticks(Pid);
}
