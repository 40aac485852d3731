namespace Sessions.Hosting;

/// <summary>A settings type that says what is wrong with its values, each failure naming the key it is about.</summary>
public interface ISettings
{
    IEnumerable<string> Validate();
}
