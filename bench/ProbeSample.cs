namespace Sessions.Bench;

/// <summary>One request of the bench's own client: Stopwatch timestamps, and the status (0 when it failed without one).</summary>
internal readonly record struct ProbeSample(long Started, long Finished, int Status);
