namespace Sessions.Grains;

[GenerateSerializer, Alias("Sessions.LogoutScope")]
public enum LogoutScope
{
    Local = 0,
    Others = 1,
    Global = 2,
}
