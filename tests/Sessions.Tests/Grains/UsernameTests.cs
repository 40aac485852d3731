using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>Expected keys are written out by hand from the Unicode tables, never computed with Normalize.</summary>
public sealed class UsernameTests
{
    [Theory]
    [InlineData("\uFF52\uFF4F\uFF4F\uFF54-\uFF41\uFF44\uFF4D\uFF49\uFF4E", "root-admin")] // ｒｏｏｔ-ａｄｍｉｎ, full width
    [InlineData("\uFF21\uFF2C\uFF29\uFF23\uFF25", "alice")] // ＡＬＩＣＥ
    [InlineData("\uFB01nd", "find")] // ﬁ ligature
    [InlineData("Alice", "alice")]
    public void ToKey_WidthLigatureOrCaseVariant_IsThePlainLowercaseName(string username, string expected) =>
        Assert.Equal(expected, Username.ToKey(username));

    [Fact]
    public void ToKey_DecomposedAccent_IsTheComposedName() =>
        Assert.Equal("jos\u00E9", Username.ToKey("jose\u0301"));

    [Fact]
    public void ToKey_ComposedAccent_IsTheComposedName() =>
        Assert.Equal("jos\u00E9", Username.ToKey("Jos\u00C9"));

    [Fact]
    public void Normalize_DecomposedAccent_IsAcceptedAndComposed() =>
        Assert.Equal("Jos\u00E9", Username.Normalize("Jose\u0301"));

    [Theory]
    [InlineData("stra\u00DFe")] // straße
    [InlineData("STRA\u1E9EE")] // STRAẞE, capital sharp s
    [InlineData("STRASSE")]
    public void ToKey_GermanSharpS_FoldsToDoubleS(string username) =>
        Assert.Equal("strasse", Username.ToKey(username));

    [Theory]
    [InlineData("\u039F\u0394\u039F\u03A3")] // ΟΔΟΣ
    [InlineData("\u03BF\u03B4\u03BF\u03C2")] // οδος, final sigma
    public void ToKey_GreekSigmaInAnyForm_FoldsToSigma(string username) =>
        Assert.Equal("\u03BF\u03B4\u03BF\u03C3", Username.ToKey(username));

    [Fact]
    public void ToKey_TurkishDottedCapitalI_KeepsItsDotAsACombiningMark() =>
        Assert.Equal("i\u0307nci", Username.ToKey("\u0130nci")); // İnci

    [Fact]
    public void ToKey_TurkishDotlessI_StaysDotless() =>
        Assert.Equal("\u0131nci", Username.ToKey("\u0131nci")); // ınci

    [Fact]
    public void ToKey_LatinCapitalI_FoldsToDottedI() =>
        Assert.Equal("inci", Username.ToKey("INCI"));

    [Fact]
    public void ToKey_MixedScript_KeepsTheCyrillicLetter() =>
        Assert.Equal("p\u0430ypal", Username.ToKey("P\u0410YPAL")); // Cyrillic А/а among Latin letters

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("emoji\U0001F600")]
    [InlineData("ali\u200Dce")] // zero-width joiner
    [InlineData("\uFB01")] // one ligature is two letters, still too short
    [InlineData("lone\uD800")]
    public void ToKey_BreakingTheRules_IsNull(string username) =>
        Assert.Null(Username.ToKey(username));

    [Fact]
    public void ToKey_SixtyFourLettersAfterNormalisation_IsAccepted() =>
        Assert.Equal(new string('a', 64), Username.ToKey(new string('\uFF41', 64)));

    [Fact]
    public void ToKey_SixtyFiveLettersAfterNormalisation_IsNull() =>
        Assert.Null(Username.ToKey(new string('\uFF41', 65)));

    [Theory]
    [InlineData("p\u0430ypal", "paypal")] // Cyrillic а
    [InlineData("\u0131nci", "inci")] // dotless ı
    [InlineData("paypal", "paypal")]
    [InlineData("rn-admin", "rn-adrnin")] // m is confusable with r + n: UTS #39's prototype is "rn"
    [InlineData("m-admin", "rn-adrnin")]
    public void Skeleton_LookAlikeKey_IsTheLatinSkeleton(string key, string expected) =>
        Assert.Equal(expected, Username.Skeleton(key));
}
