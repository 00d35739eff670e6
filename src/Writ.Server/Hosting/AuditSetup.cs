using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Audit;

namespace Writ.Server.Hosting;

/// <summary>Wires the audit log: the log service, its API and its events.</summary>
internal static class AuditSetup
{
    /// <summary>The configuration section of the audit options (<c>Writ:Audit:FlushWindow</c>, …).</summary>
    public const string Section = "Writ:Audit";

    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(sp => ReadOptions(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<AuditLogObserver>();
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IWritStore>();
            var log = new AuditLogService(
                store.Audit,
                sp.GetRequiredService<RootKey>(),
                settings.TrustDomain.Name + "/audit",
                sp.GetRequiredService<AuditOptions>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<AuditLogObserver>());

            // The admin change log and capabilities that hold only the store record through it.
            AuditLogs.Attach(store, log);
            return log;
        });
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLogService>());
        services.AddSingleton(sp => new AuditReader(sp.GetRequiredService<IWritStore>().Audit));
        services.AddSingleton<AuditRetention>();
        services.AddHostedService<AuditLogHost>();
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        AuditEndpoints.Map(app);
    }

    /// <summary>Reads <c>Writ:Audit</c>; an invalid value stops startup with a message naming it.</summary>
    internal static AuditOptions ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new AuditOptions();
        if (section["FlushWindow"] is { } window)
        {
            options = options with { FlushWindow = ParseDuration(window, "FlushWindow") };
        }

        if (section["MaxBatch"] is { } maxBatch)
        {
            options = options with { MaxBatch = ParseCount(maxBatch, "MaxBatch") };
        }

        if (section["QueueCapacity"] is { } capacity)
        {
            options = options with { QueueCapacity = ParseCount(capacity, "QueueCapacity") };
        }

        if (section["CheckpointEvery"] is { } every)
        {
            options = options with { CheckpointEvery = ParseCount(every, "CheckpointEvery") };
        }

        if (section["CheckpointInterval"] is { } interval)
        {
            options = options with { CheckpointInterval = ParseDuration(interval, "CheckpointInterval") };
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidOperationException($"{Section}: {ex.Message}", ex);
        }

        return options;
    }

    // Whole milliseconds ("5") or a TimeSpan ("00:00:00.005").
    private static TimeSpan ParseDuration(string text, string name)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"{Section}:{name} must be whole milliseconds (e.g. 5) or a time span (e.g. 00:00:00.005)");
    }

    private static int ParseCount(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{Section}:{name} must be a positive whole number");
}
