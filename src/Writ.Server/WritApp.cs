using Microsoft.AspNetCore.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Writ.Core.Admin;
using Writ.Core.Clients;
using Writ.Core.Configuration;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Hosting;
using Writ.Server.Http;
using Writ.Server.Telemetry;
using Writ.Storage.Postgres;
using Writ.Storage.Sqlite;

namespace Writ.Server;

/// <summary>Builds the Writ control plane web application.</summary>
public static class WritApp
{
    /// <summary>
    /// Builds (but does not start) the control plane for the given options. Configuration is read from
    /// <c>appsettings.json</c>, <c>WRIT_*</c> environment variables and <see cref="WritServerOptions.ConfigurationArgs"/>;
    /// explicit options win. Invalid configuration throws <see cref="InvalidOperationException"/> (or
    /// <see cref="RootKeyException"/>) with a message saying what to fix; schema and key checks run on start.
    /// </summary>
    public static WebApplication Build(WritServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. options.ConfigurationArgs] });
        builder.Configuration.AddInMemoryCollection(WritEnvironmentVariables.Read());
        builder.Configuration.AddCommandLine([.. options.ConfigurationArgs]);
        var settings = WritSettings.Resolve(options, builder.Configuration);
        // Per-request framework logs drown the warnings that matter; a more specific category in Logging:LogLevel
        // (e.g. Microsoft.AspNetCore.Hosting.Diagnostics) brings them back.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Every audit record is also a log record (category Writ.Audit) for OpenTelemetry export; on the
        // console it would drown everything else, so the console shows only its warnings.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Writ.Audit", LogLevel.Warning);
        KestrelSetup.Configure(builder, settings);

        var section = builder.Configuration.GetSection(WritSettings.Section);
        DataDirectory.Ensure(settings.DataDirectory);
        var rootKey = RootKeySource.Load(new RootKeyOptions
        {
            Value = section["RootKey"],
            FilePath = section["RootKeyFile"],
            DataDirectory = settings.DataDirectory,
            GenerateIfMissing = settings.DevMode,
        });
        var bootstrap = BootstrapAdminToken.Load(settings.BootstrapAdminToken, settings.DataDirectory);

        AddServices(builder.Services, settings, options.TimeProvider ?? TimeProvider.System, rootKey, bootstrap);
        AddTelemetry(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledError, SuppressDiagnosticsCallback = _ => false });
        HealthEndpoints.Map(app);
        MetadataEndpoints.Map(app);
        KeyEndpoints.Map(app);
        TokenEndpoints.Map(app);
        AdminEndpoints.Map(app);
        AuditSetup.Map(app);
        PolicySetup.Map(app);
        TaskSetup.Map(app);
        ConnectionSetup.Map(app);
        RevocationSetup.Map(app);
        return app;
    }

    /// <summary>What <c>writ dev</c> prints: the real URLs (call after <c>StartAsync</c>), the issuer and the admin token.</summary>
    public static WritStartupInfo GetStartupInfo(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var settings = services.GetRequiredService<WritSettings>();
        var issuer = services.GetRequiredService<IssuerResolver>();
        var bootstrap = services.GetRequiredService<BootstrapAdminToken>();
        return new WritStartupInfo(
            issuer.BoundAddresses(),
            issuer.Issuer,
            settings.TrustDomain.Name,
            settings.DataDirectory,
            bootstrap.Token,
            bootstrap.FilePath,
            bootstrap.Generated,
            settings.DevMode);
    }

    private static void AddServices(IServiceCollection services, WritSettings settings, TimeProvider time, RootKey rootKey, BootstrapAdminToken bootstrap)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.TrustDomain);
        services.AddSingleton(time);
        services.AddSingleton(bootstrap);
        services.AddSingleton(rootKey);
        services.AddSingleton<IWritStore>(_ => settings.StorageProvider == StorageProvider.Postgres
            ? new PostgresWritStore(settings.StorageConnectionString!, time)
            : SqliteWritStore.ForDataDirectory(settings.DataDirectory));
        services.AddSingleton(new KeyRingOptions { MaxTokenLifetime = IdentityTokenOptions.MaxLifetime });
        services.AddSingleton(sp => new KeyRing(sp.GetRequiredService<IWritStore>().SigningKeys, rootKey, sp.GetRequiredService<KeyRingOptions>(), time));
        services.AddSingleton<IssuerResolver>();
        services.AddSingleton<ITokenServiceEndpoints>(sp => sp.GetRequiredService<IssuerResolver>());
        services.AddSingleton(new IdentityTokenOptions { Lifetime = settings.IdentityTokenLifetime });
        services.AddSingleton(sp => new ExternalJwksCache(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) },
            time));
        services.AddSingleton<TokenService>();
        services.AddSingleton<IntrospectionService>();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton(sp => new AdminAuthenticator(sp.GetRequiredService<IWritStore>(), bootstrap.Token));
        services.AddSingleton<OwnerAdmin>();
        services.AddSingleton<AgentAdmin>();
        services.AddSingleton<JoinTokenAdmin>();
        services.AddSingleton<IssuerAdmin>();
        services.AddSingleton<ClientAdmin>();
        services.AddSingleton<AdminTokenAdmin>();
        services.AddSingleton<SigningKeyAdmin>();
        services.AddSingleton<ChangeLogAdmin>();
        AuditSetup.AddServices(services, settings);
        PolicySetup.AddServices(services, settings);
        TaskSetup.AddServices(services, settings);
        ConnectionSetup.AddServices(services, settings);
        RevocationSetup.AddServices(services, settings);
        services.AddHostedService<WritStartup>();
        services.AddSingleton<Housekeeping>();
        services.AddHostedService(sp => sp.GetRequiredService<Housekeeping>());
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(WritTelemetry.Name))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(WritTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Logs too: the audit log exports every record as a log record (category Writ.Audit).
            otel.WithLogging().UseOtlpExporter();
        }
    }

    /// <summary>Unexpected failures: a generic error in the right format, never a stack trace.</summary>
    private static async Task WriteUnhandledError(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        // A store or audit log that cannot answer (database down, session lost) makes the request fail closed, and retrying later may work.
        var unavailable = exception is KeyRingException or System.Data.Common.DbException or Writ.Core.Audit.AuditUnavailableException;
        IResult result = http.Request.Path.StartsWithSegments("/oauth2")
            ? new OAuthErrorResult(unavailable ? "temporarily_unavailable" : "server_error", "the server could not complete the request", unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError)
            : new ProblemResult(unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, unavailable ? "unavailable" : "internal_error", "Server error", "the server could not complete the request; see the server log");
        await result.ExecuteAsync(http);
    }
}
