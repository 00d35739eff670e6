#:sdk Microsoft.NET.Sdk.Web

// The baseline of bench/load/authzen-evaluation.sh: Kestrel answering POST /access/v1/evaluation with a constant
// decision, no authentication, no parsing. Usage: dotnet run -c Release bench/load/authzen-trivial-pdp.cs -- <url>
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(args.Length > 0 ? args[0] : "http://127.0.0.1:7691");
builder.Logging.ClearProviders();
var app = builder.Build();
var decision = "{\"decision\":true}"u8.ToArray();
app.MapPost("/access/v1/evaluation", async (HttpContext http) =>
{
    http.Response.ContentType = "application/json";
    await http.Response.Body.WriteAsync(decision, http.RequestAborted);
});
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
