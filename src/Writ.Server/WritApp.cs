namespace Writ.Server;

/// <summary>Builds the Writ control plane web application.</summary>
public static class WritApp
{
    /// <summary>Builds (but does not start) the control plane for the given options.</summary>
    public static WebApplication Build(WritServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder([.. options.ConfigurationArgs]);
        builder.WebHost.UseUrls([.. options.Urls]);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
