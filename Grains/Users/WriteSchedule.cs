namespace Sessions.Grains.Users;

/// <summary>
/// A user activation's bookkeeping of its writes, without any I/O: how many changes memory holds and how many storage
/// is known to hold, when the lazy write of the sliding is due, which write is in flight, and whether memory may be
/// stored at all. The grain asks it whether to start a write and tells it how each write ended.
/// </summary>
/// <remarks>
/// At most one write is in flight: a command's write waits for a lazy one, and no lazy write starts beside a command's,
/// which, were the command's write to fail, could store the change the command is about to roll back. A write wanted
/// meanwhile is noted and started when the write in flight is stored.
/// </remarks>
internal sealed class WriteSchedule(TimeProvider time, TimeSpan interval, TimeSpan retry)
{
    // A write completing after later changes leaves those dirty: storage holds what was counted when it took its copy.
    private long _changes;
    private long _storedChanges;
    private DateTimeOffset _lazyWriteDue;
    private bool _commandWriting;
    private bool _lazyWriting;
    private bool _wanted;

    /// <summary>Memory holds a change storage is not known to hold.</summary>
    public bool Dirty => _changes != _storedChanges;

    /// <summary>
    /// Set by an ETag conflict: storage holds a write this activation does not know of, so memory is never stored again
    /// and the activation is to be reloaded.
    /// </summary>
    public bool Discarded { get; private set; }

    /// <summary>The interval (a tenth of the idle timeout) has passed since the last write was stored or the activation, or the retry delay since a lazy write failed.</summary>
    public bool IsLazyWriteDue(DateTimeOffset now) => now >= _lazyWriteDue;

    public void Activated() => _lazyWriteDue = time.GetUtcNow() + interval;

    /// <summary>A check changed memory (a slide, a dropped expired session, a first use of a rotated pair).</summary>
    public void Changed() => _changes++;

    /// <summary>
    /// A check wants what it changed stored soon. True: start a lazy write now (<see cref="LazyWriteStarting"/>). False:
    /// the write in flight is followed by one that carries it, or memory is discarded.
    /// </summary>
    public bool WantWrite()
    {
        if (Discarded)
            return false;
        if (_commandWriting || _lazyWriting)
        {
            _wanted = true;
            return false;
        }
        return true;
    }

    /// <summary>A lazy write takes its copy now; returns the mark to hand to <see cref="LazyWriteStored"/>.</summary>
    public long LazyWriteStarting()
    {
        _lazyWriting = true;
        _lazyWriteDue = time.GetUtcNow() + interval;
        return _changes;
    }

    /// <summary>True: a check wanted another write meanwhile and no command is waiting to carry it, so start it now.</summary>
    public bool LazyWriteStored(long mark)
    {
        _lazyWriting = false;
        Stored(mark);
        if (!_wanted || _commandWriting)
            return false;
        _wanted = false;
        return true;
    }

    /// <summary>Still dirty: tried again after the retry delay, or on deactivation.</summary>
    public void LazyWriteFailed(bool conflict)
    {
        _lazyWriting = false;
        _lazyWriteDue = time.GetUtcNow() + retry;
        _wanted = false;
        Discarded |= conflict;
    }

    /// <summary>A command's change is made and about to be written; returns the mark to hand to <see cref="CommandStored"/>.</summary>
    public long CommandWriting()
    {
        _commandWriting = true;
        return ++_changes;
    }

    /// <summary>True: checks during the write changed memory after it took its copy and wanted that stored, so ask for a write (<see cref="WantWrite"/>).</summary>
    public bool CommandStored(long mark)
    {
        _commandWriting = false;
        Stored(mark);
        if (!_wanted)
            return false;
        _wanted = false;
        return Dirty;
    }

    /// <summary>The command's change is rolled back, and what checks wanted stored with it goes too.</summary>
    public void CommandFailed(bool conflict)
    {
        _commandWriting = false;
        _wanted = false;
        Discarded |= conflict;
    }

    private void Stored(long mark)
    {
        if (mark > _storedChanges)
            _storedChanges = mark;
        _lazyWriteDue = time.GetUtcNow() + interval;
    }
}
