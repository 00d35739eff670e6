using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Writ.Core.Identity;
using Writ.Server.Http;

namespace Writ.Server.Tests;

public sealed class TokenResponseResultTests
{
    private static async Task<(HttpResponse Response, byte[] Body)> ExecuteAsync(string token)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await new TokenResponseResult(token, 300).ExecuteAsync(context);
        await context.Response.CompleteAsync();
        return (context.Response, body.ToArray());
    }

    [Theory]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    [InlineData("abc\"def\\\\ghi")]
    [InlineData("line\nbreak</script>")]
    public async Task AnyToken_IsWrittenAsExactJson_WithItsLength(string token)
    {
        var (response, body) = await ExecuteAsync(token);

        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(token, json["access_token"]!.GetValue<string>());
        Assert.Equal(TokenTypes.Jwt, json["issued_token_type"]!.GetValue<string>());
        Assert.Equal("Bearer", json["token_type"]!.GetValue<string>());
        Assert.Equal(300, json["expires_in"]!.GetValue<int>());
        Assert.Equal(4, json.Count);
        Assert.Equal(body.Length, response.ContentLength);
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
    }
}
