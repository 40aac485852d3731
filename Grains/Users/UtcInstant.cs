namespace Sessions.Grains.Users;

/// <summary>
/// An instant held in memory as its UTC ticks: 8 bytes, where a <see cref="DateTimeOffset"/> field takes 16 and a
/// nullable one 24. The state's instants all come from the UTC clock; one stored with another offset loads as the
/// same instant in UTC. Zero ticks (0001-01-01, never an instant of this service) stands for none.
/// </summary>
internal static class UtcInstant
{
    public static long Ticks(DateTimeOffset value) => value.UtcTicks;

    public static long Ticks(DateTimeOffset? value) => value?.UtcTicks ?? 0;

    public static DateTimeOffset From(long ticks) => new(ticks, TimeSpan.Zero);

    public static DateTimeOffset? FromOptional(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
