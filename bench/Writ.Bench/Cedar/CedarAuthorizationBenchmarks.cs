using BenchmarkDotNet.Attributes;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;

namespace Writ.Bench.Cedar;

/// <summary>
/// BenchmarkDotNet view of the Cedar workloads (means and allocations); bench/cedar.sh runs the plain
/// verb instead for medians, p99s and the side-by-side comparison with cedar-wasm.
/// </summary>
[MemoryDiagnoser]
public class CedarAuthorizationBenchmarks
{
    private string _policies = string.Empty;
    private string[] _requestJson = [];
    private Request[] _requests = [];
    private PolicySet _set = new();
    private EntityStore _store = EntityStore.Empty;
    private int _next;

    [Params("gdrive", "github", "tinytodo", "policies10k")]
    public string Workload { get; set; } = "gdrive";

    [GlobalSetup]
    public void Setup()
    {
        var w = Workloads.Create(Workload);
        _policies = w.Policies;
        _requestJson = [.. w.Requests.Select(GenJson.Request)];
        _requests = [.. _requestJson.Select(j => WritEngine.ReadRequest(j).Request)];
        _set = PolicySet.Parse(_policies);
        _store = EntityJson.ParseStore(GenJson.Entities(w.Entities));
    }

    /// <summary>Policies and entities loaded once; one authorization per call, cycling through the requests.</summary>
    [Benchmark]
    public bool Preloaded()
    {
        var i = _next++ % _requests.Length;
        return Authorizer.IsAuthorized(_requests[i], _set, _store).IsAllowed;
    }

    /// <summary>Policies text, entities and request JSON parsed on every call, as cedar-wasm's isAuthorized does.</summary>
    [Benchmark]
    public bool FromJson()
    {
        var i = _next++ % _requestJson.Length;
        return WritEngine.FromJson(_policies, _requestJson[i]).IsAllowed;
    }
}
