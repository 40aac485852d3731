using System.Net;
using System.Net.Http.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>A registration that fails leaves nothing behind: not the name, not its confusable skeleton.</summary>
[Collection(AppCollection.Name)]
public sealed class RegistrationFailureTests(SessionsApp app)
{
    [Fact]
    public async Task Register_FailedWhileStorageIsDown_LeavesTheLookalikesFree()
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        HttpStatusCode failed;
        app.Storage!.Failing = true;
        try
        {
            using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username = "paypal" + suffix, password = SessionsClient.Password });
            failed = response.StatusCode;
        }
        finally
        {
            app.Storage.Failing = false;
        }

        using var lookalike = await client.Http.PostAsJsonAsync("/auth/register", new { username = "p\u0430ypal" + suffix, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.Created, lookalike.StatusCode);
    }

    [Fact]
    public async Task Register_FailedWhileStorageIsDown_TheSameNameRegistersOnceStorageIsBack()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        app.Storage!.Failing = true;
        try
        {
            using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username, password = SessionsClient.Password });
        }
        finally
        {
            app.Storage.Failing = false;
        }

        using var retry = await client.Http.PostAsJsonAsync("/auth/register", new { username, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }
}
