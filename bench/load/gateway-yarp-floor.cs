#:sdk Microsoft.NET.Sdk.Web
#:package Yarp.ReverseProxy

// A reference point for bench/load/gateway.sh: the bare forwarding stack the gateway is built on (Kestrel in, YARP's
// IHttpForwarder out, the same SocketsHttpHandler settings as writ gateway) with none of Writ's work: no token, no
// decision, no audit, no credential. The gap between it and nginx is the stack's; the gap between it and the
// gateway is Writ's. Usage: dotnet run -c Release gateway-yarp-floor.cs -- <listen-url> <upstream-url>
// WRIT_BENCH_INLINE=1 runs request handling on Kestrel's I/O threads (SocketTransportOptions.UnsafePreferInlineScheduling)
// instead of the thread pool, an experiment: it stalls a connection's neighbours whenever the application blocks, and
// on the 2-core machine it forwarded less than the default scheduling (bench/README.md, Gateway), so writ gateway keeps
// the default.
using System.Net;
using Yarp.ReverseProxy.Forwarder;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(args[0]);
if (Environment.GetEnvironmentVariable("WRIT_BENCH_INLINE") == "1")
{
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
}

builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();
var upstream = args[1];
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ConnectTimeout = TimeSpan.FromSeconds(10),
    EnableMultipleHttp2Connections = true,
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
app.MapGet("/healthz", () => "ok");
app.Map("/{**rest}", async (HttpContext context) => await forwarder.SendAsync(context, upstream, invoker, config, HttpTransformer.Default));
await app.RunAsync();
