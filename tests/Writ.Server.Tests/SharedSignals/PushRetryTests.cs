using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Writ.Core.Revocation;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Revocation;

namespace Writ.Server.Tests.SharedSignals;

public sealed class PushRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiverFailingTwice_GetsTheSetOnALaterTry_InOrder()
    {
        await using var f = await RevocationFixture.StartAsync();
        var received = new List<string>();
        var answers = new Queue<int>([503, 503]);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/events", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.ASCII);
            var set = await reader.ReadToEndAsync();
            lock (received)
            {
                if (answers.TryDequeue(out var failure))
                {
                    return Results.StatusCode(failure);
                }

                received.Add(set);
                if (received.Count == 2)
                {
                    arrived.TrySetResult();
                }
            }

            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        await receiver.StartAsync(Ct);
        var url = receiver.Urls.First() + "/events";
        using var request = new HttpRequestMessage(HttpMethod.Post, "ssf/streams")
        {
            Content = new StringContent(
                $"{{\"delivery\":{{\"method\":\"{SharedSignalsEvents.Push}\",\"endpoint_url\":\"{url}\"}},\"events_requested\":[\"{SharedSignalsEvents.SessionRevoked}\"]}}",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new("Bearer", f.Host.AdminToken);
        using var created = await f.Host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await f.RevokeAsync("token", "first");
        await f.RevokeAsync("token", "second");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(["first", "second"], received.Select(set => RevocationFixture.JwtPayload(set).GetProperty("sub_id").GetProperty("jti").GetString()));
        Assert.Empty(answers);
    }
}
