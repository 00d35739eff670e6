#:sdk Microsoft.NET.Sdk.Web

// The upstream of bench/load/gateway.sh: a minimal MCP-over-HTTP tool server on Kestrel. POST /mcp answers any
// JSON-RPC request with one constant tools/call result (no parsing, no authentication), so the figures measure
// the hop in front of it. GET /last-authorization returns the Authorization header of the last call, so the script
// can check what the gateway injected; GET /count the calls answered, so it counts what a proxy really forwarded. Usage: dotnet run -c Release gateway-upstream.cs -- <url>
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(args.Length > 0 ? args[0] : "http://127.0.0.1:7695");
builder.Logging.ClearProviders();
var app = builder.Build();
string lastAuthorization = string.Empty;
long count = 0;
var result = """{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"42 open issues"}],"isError":false}}"""u8.ToArray();
app.MapPost("/mcp", async (HttpContext http) =>
{
    Volatile.Write(ref lastAuthorization, http.Request.Headers.Authorization.ToString());
    Interlocked.Increment(ref count);
    // Drain the body as a real server would.
    await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
    http.Response.ContentType = "application/json";
    http.Response.ContentLength = result.Length;
    await http.Response.Body.WriteAsync(result, http.RequestAborted);
});
app.MapGet("/healthz", () => "ok");
app.MapGet("/last-authorization", () => Results.Text(Volatile.Read(ref lastAuthorization)));
app.MapGet("/count", () => Results.Text(Interlocked.Read(ref count).ToString(System.Globalization.CultureInfo.InvariantCulture)));
await app.RunAsync();
