using Writ.Core.Admin;
using Writ.Core.Revocation;
using Writ.Core.Tasks;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Tasks;

namespace Writ.Server.Hosting;

/// <summary>Wires tasks: task tokens by token exchange, lifecycle, delegation and per-call decisions.</summary>
internal static class TaskSetup
{
    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(sp => ReadOptions(sp.GetRequiredService<IConfiguration>().GetSection(WritSettings.Section).GetSection("Tasks")));
        services.AddSingleton<StatusCache>();
        services.AddSingleton<TaskTokenValidator>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<TaskLifecycle>();
        services.AddSingleton<CallDecider>();
        services.AddHostedService<TaskExpirySweeper>();

        // Revoking a task ends its delegated descendants; revoking an agent (or its owner) ends the agent's tasks.
        services.AddSingleton<IRevoker, TaskRevoker>();
        services.AddSingleton<IRevoker, AgentChangeRevoker>();
        services.AddSingleton<IRevocationCascade, AgentTaskCascade>();
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Resolve now so invalid task settings stop startup instead of failing the first request.
        app.Services.GetRequiredService<TaskOptions>();
        AgentStatusChanges.Use(app);
        TaskEndpoints.Map(app);
    }

    /// <summary>Writ:Tasks:MaxDuration, MaxDelegationDepth, StatusCacheWindow and ClockSkew; invalid values stop startup.</summary>
    private static TaskOptions ReadOptions(IConfiguration section)
    {
        var defaults = new TaskOptions();
        var options = new TaskOptions
        {
            MaxDuration = Duration(section, "MaxDuration") ?? defaults.MaxDuration,
            MaxDelegationDepth = section["MaxDelegationDepth"] is { } depth
                ? int.TryParse(depth, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : throw new InvalidOperationException($"Writ:Tasks:MaxDelegationDepth '{depth}' is not a whole number (default 3).")
                : defaults.MaxDelegationDepth,
            StatusCacheWindow = section["StatusCacheWindow"] is "0" or "PT0S" ? TimeSpan.Zero : Duration(section, "StatusCacheWindow") ?? defaults.StatusCacheWindow,
            ClockSkew = Duration(section, "ClockSkew") ?? defaults.ClockSkew,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Invalid Writ:Tasks settings: {ex.Message}.", ex);
        }

        return options;
    }

    private static TimeSpan? Duration(IConfiguration section, string key)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        return Durations.TryParse(text, out var value) ? value : throw new InvalidOperationException($"Writ:Tasks:{key} '{text}' is not a duration (use PT15M or a number of seconds).");
    }
}
