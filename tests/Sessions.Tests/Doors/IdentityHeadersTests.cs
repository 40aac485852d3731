using Sessions.Api.Auth;

namespace Sessions.Tests.Doors;

/// <summary>
/// The <c>X-Sessions-*</c> values every door sends upstream (forward auth's answer, the gateway's request): ASCII as
/// it is, anything else percent-encoded as UTF-8, the roles comma-separated with a comma inside one encoded.
/// </summary>
public sealed class IdentityHeadersTests
{
    [Fact]
    public void Write_AsciiAccess_EveryHeaderInOrderWithItsValueUnchanged()
    {
        var access = new SessionAccess("0123abcd", "5678ef01", "jti-1", "alice", "laptop-1", ["admin", "user"]);

        Assert.Equal(
        [
            ("X-Sessions-User-Id", "0123abcd"),
            ("X-Sessions-Username", "alice"),
            ("X-Sessions-Session-Id", "5678ef01"),
            ("X-Sessions-Device-Id", "laptop-1"),
            ("X-Sessions-Roles", "admin,user"),
        ], Written(access));
    }

    [Fact]
    public void Write_NoRoles_RolesHeaderEmpty()
    {
        var access = new SessionAccess("u", "s", "j", "bob", "d", []);

        Assert.Equal(("X-Sessions-Roles", ""), Written(access)[4]);
    }

    [Fact]
    public void Write_OneRole_ThatRoleAlone()
    {
        var access = new SessionAccess("u", "s", "j", "bob", "d", ["auditor"]);

        Assert.Equal(("X-Sessions-Roles", "auditor"), Written(access)[4]);
    }

    [Theory]
    [InlineData("josé", "jos%C3%A9")]
    [InlineData("Ærø", "%C3%86r%C3%B8")]
    [InlineData("a b~", "a b~")]
    [InlineData("line\r\nX-Evil: 1", "line%0D%0AX-Evil: 1")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("del\u007f", "del%7F")]
    [InlineData("100%", "100%25")]
    public void Write_Username_PercentEncodedOutsidePrintableAscii(string username, string expected)
    {
        var access = new SessionAccess("u", "s", "j", username, "d", []);

        Assert.Equal(("X-Sessions-Username", expected), Written(access)[1]);
    }

    [Fact]
    public void Write_RoleWithCommaOrNonAscii_EncodedSoTheListSplitsBackIntoTheSameRoles()
    {
        var access = new SessionAccess("u", "s", "j", "bob", "d", ["a,b", "ünï", "plain"]);

        Assert.Equal(("X-Sessions-Roles", "a%2Cb,%C3%BCn%C3%AF,plain"), Written(access)[4]);
    }

    private static List<(string Name, string Value)> Written(SessionAccess access)
    {
        var written = new List<(string, string)>();
        IdentityHeaders.Write(access, written, static (list, name, value) => list.Add((name, value)));
        return written;
    }
}
