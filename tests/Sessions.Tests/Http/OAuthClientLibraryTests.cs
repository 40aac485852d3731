using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>An outside client library speaking RFC 8414, 6749, 7662 and 7009 against the service.</summary>
[Collection(AppCollection.Name)]
public sealed class OAuthClientLibraryTests(SessionsApp app)
{
    [Fact]
    public async Task DuendeIdentityModel_DiscoversLogsInRefreshesIntrospectsAndRevokes()
    {
        using var client = app.NewClient();
        var http = client.Http;
        var username = SessionsClient.NewUsername();
        await client.Register(username);

        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = SessionsApp.Issuer,
            Policy = new DiscoveryPolicy { RequireHttps = false, DiscoveryDocumentPath = "/.well-known/oauth-authorization-server" },
        });
        Assert.False(discovery.IsError, discovery.Error);
        Assert.NotEmpty(discovery.KeySet!.Keys);

        var login = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = "any-client",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            UserName = username,
            Password = SessionsClient.Password,
        });
        Assert.False(login.IsError, login.Error);

        var refresh = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = "any-client",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = login.RefreshToken!,
        });
        Assert.False(refresh.IsError, refresh.Error);
        Assert.NotEqual(login.RefreshToken, refresh.RefreshToken);

        var admin = await client.AdminLogin();
        var introspectionRequest = new TokenIntrospectionRequest
        {
            Address = discovery.IntrospectionEndpoint,
            ClientId = "any-client",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = refresh.AccessToken!,
        };
        introspectionRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        var introspection = await http.IntrospectTokenAsync(introspectionRequest);
        Assert.False(introspection.IsError, introspection.Error);
        Assert.True(introspection.IsActive);

        var revocation = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = discovery.RevocationEndpoint,
            ClientId = "any-client",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = refresh.RefreshToken!,
            TokenTypeHint = "refresh_token",
        });
        Assert.False(revocation.IsError, revocation.Error);

        var afterRevocation = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = "any-client",
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = refresh.RefreshToken!,
        });
        Assert.True(afterRevocation.IsError);
        Assert.Equal("invalid_grant", afterRevocation.Error);
    }
}
