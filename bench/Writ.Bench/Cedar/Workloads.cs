namespace Writ.Bench.Cedar;

/// <summary>The benchmark workloads by name; each is generated from a fixed seed, so every run sees the same inputs.</summary>
internal static class Workloads
{
    public static readonly string[] Names = ["gdrive", "github", "tinytodo", "policies10k"];

    public static Workload Create(string name) => name switch
    {
        "gdrive" => GdriveWorkload.Create(),
        "github" => GithubWorkload.Create(),
        "tinytodo" => TinyTodoWorkload.Create(),
        "policies10k" => LargePolicySetWorkload.Create(),
        _ => throw new ArgumentException($"unknown workload {name}; known: {string.Join(", ", Names)}", nameof(name)),
    };
}
