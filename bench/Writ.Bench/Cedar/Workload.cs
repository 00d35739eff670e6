namespace Writ.Bench.Cedar;

/// <summary>A generated benchmark input: a policy set, the whole entity graph and requests with their entity slices.</summary>
internal sealed class Workload(string name, string policies, IReadOnlyList<GenEntity> entities, IReadOnlyList<GenRequest> requests)
{
    public string Name { get; } = name;

    public string Policies { get; } = policies;

    public IReadOnlyList<GenEntity> Entities { get; } = entities;

    public IReadOnlyList<GenRequest> Requests { get; } = requests;
}
