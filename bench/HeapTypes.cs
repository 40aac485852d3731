using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Sessions.Bench;

/// <summary>
/// Objects and bytes per type on a process's managed heap, from a heap dump (the runtime's own createdump, asked for
/// through the diagnostics port) walked with ClrMD and then deleted: right after a full collection, the bytes of the
/// live objects, without the free space the GC's own heap size also counts; and between two readings, which types
/// grew, i.e. what a session is made of. (Attaching ClrMD to the live process instead hung here, the silo left stopped.)
/// </summary>
internal static class HeapTypes
{
    public sealed record Snapshot(IReadOnlyDictionary<string, (long Objects, long Bytes)> Types)
    {
        public long TotalBytes => Types.Values.Sum(t => t.Bytes);
    }

    public static async Task<Snapshot> TakeAsync(int pid, string folder, CancellationToken cancellationToken)
    {
        var dump = Path.Combine(folder, $"heap-{pid}-{DateTime.UtcNow:HHmmss}.dmp");
        await new DiagnosticsClient(pid).WriteDumpAsync(DumpType.WithHeap, dump, logDumpGeneration: false, cancellationToken);
        try
        {
            var types = new Dictionary<string, (long Objects, long Bytes)>();
            using var target = DataTarget.LoadDump(dump);
            var clr = target.ClrVersions[0];
            // ClrMD does not find the shared runtime's own DAC, which sits beside the runtime it belongs to.
            var dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, "libmscordaccore.so");
            using var runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
            foreach (var obj in runtime.Heap.EnumerateObjects())
            {
                if (!obj.IsValid || obj.IsFree)
                    continue;
                var name = obj.Type?.Name ?? "?";
                var (objects, bytes) = types.GetValueOrDefault(name);
                types[name] = (objects + 1, bytes + (long)obj.Size);
            }
            return new Snapshot(types);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>The types that grew most, after a first row for all objects together.</summary>
    public static IReadOnlyList<TypeGrowth> Growth(Snapshot before, Snapshot after, long sessionsAdded, int top)
    {
        var grown = after.Types
            .Select(t => (t.Key, Objects: t.Value.Objects - before.Types.GetValueOrDefault(t.Key).Objects, Bytes: t.Value.Bytes - before.Types.GetValueOrDefault(t.Key).Bytes))
            .ToList();
        var all = (Key: "(all objects)", Objects: grown.Sum(t => t.Objects), Bytes: grown.Sum(t => t.Bytes));
        return [.. grown.OrderByDescending(t => t.Bytes).Take(top).Prepend(all)
            .Select(t => new TypeGrowth(t.Key, t.Objects, t.Bytes, (double)t.Objects / sessionsAdded, (double)t.Bytes / sessionsAdded))];
    }
}
