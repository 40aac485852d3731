using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Polly;
using Polly.CircuitBreaker;

namespace Sessions.Grains.Storage;

/// <summary>
/// Puts any grain storage behind a timeout and a circuit breaker (Polly), so that a database that is down costs a
/// grain one bounded wait, not one per call: once most recent calls failed, reads and writes fail at once with
/// <see cref="StorageUnavailableException"/> (a 503 to clients) until a probe finds the database back.
/// </summary>
/// <remarks>
/// The inner storage gets a copy of the grain's state, taken when the call is made, and the grain's ETag changes only
/// when the call succeeds in time: a provider may serialise the state later on another thread (the ADO.NET one does),
/// while the grain answers requests, and a call given up at the timeout may still complete. If such a write lands,
/// the grain's next write meets an ETag conflict and the grain reloads; its caller was told 503, "maybe applied".
/// </remarks>
internal sealed partial class CircuitBreakingGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly IGrainStorage _inner;
    private readonly DeepCopier _copier;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline _pipeline;

    public CircuitBreakingGrainStorage(IGrainStorage inner, string name, StorageResilienceOptions options, DeepCopier copier,
        TimeProvider time, ILogger<CircuitBreakingGrainStorage> logger)
    {
        _inner = inner;
        _copier = copier;
        _time = time;
        _timeout = options.Timeout;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Half of at least four calls within ten seconds: a database that is down, not one unlucky call.
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
                // A conflict is the database answering; a cancelled call says nothing about it.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    && e is not InconsistentStateException and not OperationCanceledException),
                OnOpened = args =>
                {
                    LogOpened(logger, args.Outcome.Exception, name, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger, name);
                    return default;
                },
            })
            .Build();
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var read = new GrainState<T>(grainState.State, grainState.ETag) { RecordExists = grainState.RecordExists };
        await Run(ct => _inner.ReadStateAsync(stateName, grainId, read, ct), cancellationToken);
        grainState.State = read.State;
        grainState.ETag = read.ETag;
        grainState.RecordExists = read.RecordExists;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var written = new GrainState<T>(_copier.Copy(grainState.State), grainState.ETag) { RecordExists = grainState.RecordExists };
        await Run(ct => _inner.WriteStateAsync(stateName, grainId, written, ct), cancellationToken);
        grainState.ETag = written.ETag;
        grainState.RecordExists = written.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var cleared = new GrainState<T>(grainState.State, grainState.ETag) { RecordExists = grainState.RecordExists };
        await Run(ct => _inner.ClearStateAsync(stateName, grainId, cleared, ct), cancellationToken);
        grainState.State = cleared.State;
        grainState.ETag = cleared.ETag;
        grainState.RecordExists = cleared.RecordExists;
    }

    public void Participate(ISiloLifecycle lifecycle) => (_inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task Run(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            // WaitAsync gives up on a call that ignores its token; the call itself may still finish (see remarks).
            await _pipeline.ExecuteAsync(async ct => await call(ct).WaitAsync(_timeout, _time, ct), cancellationToken);
        }
        catch (BrokenCircuitException broken)
        {
            // The inner exception tells the failure filter that this call never reached the database.
            throw new StorageUnavailableException("Grain storage is known to be down; the call was not made.", broken);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Grain storage {Storage} is failing: every call now fails at once for {BreakDuration}, then one probes it")]
    private static partial void LogOpened(ILogger logger, Exception? exception, string storage, TimeSpan breakDuration);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Grain storage {Storage} answers again")]
    private static partial void LogClosed(ILogger logger, string storage);
}
