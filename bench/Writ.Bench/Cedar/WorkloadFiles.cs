using System.Text;
using System.Text.Json;

namespace Writ.Bench.Cedar;

/// <summary>
/// The files both engines read: <c>policies.cedar</c>, <c>entities.json</c> (the whole graph) and
/// <c>requests.json</c> (an array of requests, each carrying its entity slice), one folder per workload.
/// </summary>
internal sealed class WorkloadFiles
{
    private WorkloadFiles(string name, string policies, string entities, string[] requests)
    {
        Name = name;
        Policies = policies;
        Entities = entities;
        Requests = requests;
    }

    public string Name { get; }

    public string Policies { get; }

    public string Entities { get; }

    /// <summary>The JSON text of each request object, exactly as it stands in requests.json.</summary>
    public string[] Requests { get; }

    public static void Write(Workload w, string root)
    {
        var dir = Path.Combine(root, w.Name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "policies.cedar"), w.Policies);
        File.WriteAllText(Path.Combine(dir, "entities.json"), GenJson.Entities(w.Entities));
        var sb = new StringBuilder("[\n");
        for (var i = 0; i < w.Requests.Count; i++)
        {
            sb.Append(GenJson.Request(w.Requests[i])).Append(i + 1 < w.Requests.Count ? ",\n" : "\n");
        }

        File.WriteAllText(Path.Combine(dir, "requests.json"), sb.Append("]\n").ToString());
    }

    public static WorkloadFiles Read(string root, string name)
    {
        var dir = Path.Combine(root, name);
        var requestsText = File.ReadAllText(Path.Combine(dir, "requests.json"));
        using var doc = JsonDocument.Parse(requestsText);
        var requests = doc.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
        return new WorkloadFiles(name, File.ReadAllText(Path.Combine(dir, "policies.cedar")), File.ReadAllText(Path.Combine(dir, "entities.json")), requests);
    }
}
