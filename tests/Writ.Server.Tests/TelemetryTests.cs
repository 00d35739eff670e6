using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task TokenIssuance_EmitsWritActivityAndCounter()
    {
        var activities = new ConcurrentBag<Activity>();
        var measurements = new ConcurrentBag<(string Grant, string Outcome)>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Writ",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Writ" && instrument.Name == "writ.token.requests")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? grant = null;
            string? outcome = null;
            foreach (var tag in tags)
            {
                grant = tag.Key == "grant" ? tag.Value as string : grant;
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            measurements.Add((grant ?? string.Empty, outcome ?? string.Empty));
        });
        meterListener.Start();

        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("telemetry-agent", "alice");
        var joinToken = await host.CreateJoinTokenAsync("telemetry-agent");
        using var response = await host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", "a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(activities, a => a.OperationName == "writ.token.issue" && (a.GetTagItem("writ.agent") as string) == "telemetry-agent" && (a.GetTagItem("writ.outcome") as string) == "issued");
        Assert.Contains(measurements, m => m is ("token-exchange", "issued"));
    }
}
