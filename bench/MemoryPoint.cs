namespace Sessions.Bench;

/// <summary>
/// The silo's memory at one point of the memory run, after two forced full collections: its RSS, the bytes of the
/// objects on its managed heap (walked in a heap dump), and the GC's own heap size (which also counts free space).
/// The per-session figures divide the growth since <see cref="Reference"/> by the sessions added since then; RSS per
/// session is left out where too few sessions were added to rise above its noise.
/// </summary>
internal sealed record MemoryPoint(
    string Label,
    long Sessions,
    long Users,
    double RssMiB,
    double ObjectsMiB,
    double? GcHeapMiB,
    double AtSeconds,
    string? Reference,
    double? RssBytesPerSession,
    double? ObjectBytesPerSession,
    double? GcHeapBytesPerSession,
    double? CreatedPerSecond,
    IReadOnlyList<TypeGrowth>? TopGrowth);
