using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class StringPoolTests
{
    private readonly StringPool _pool = new(capacity: 2, maxLength: 10);

    [Fact]
    public void Share_EqualValue_IsTheFirstInstance()
    {
        var first = _pool.Share(new string("Firefox".AsSpan()));

        var second = _pool.Share(new string("Firefox".AsSpan()));

        Assert.Same(first, second);
    }

    [Fact]
    public void Share_PoolFull_KeepsANewValueAsItCame()
    {
        _pool.Share("a");
        _pool.Share("b");
        var value = new string("c".AsSpan());

        var shared = _pool.Share(value);

        Assert.Same(value, shared);
        Assert.Equal(2, _pool.Count);
    }

    [Fact]
    public void Share_PoolFull_StillSharesWhatItHolds()
    {
        var first = _pool.Share(new string("a".AsSpan()));
        _pool.Share("b");
        _pool.Share("c");

        Assert.Same(first, _pool.Share(new string("a".AsSpan())));
    }

    [Fact]
    public void Share_LongerThanMaxLength_IsNotPooled()
    {
        var value = new string('x', 11);

        Assert.Same(value, _pool.Share(value));
        Assert.Equal(0, _pool.Count);
    }

    [Fact]
    public void Share_Null_IsNull() => Assert.Null(_pool.Share(null));

    [Fact]
    public void Share_DifferentCase_IsAnotherValue()
    {
        _pool.Share("firefox");

        Assert.Equal("Firefox", _pool.Share("Firefox"));
        Assert.Equal(2, _pool.Count);
    }
}
