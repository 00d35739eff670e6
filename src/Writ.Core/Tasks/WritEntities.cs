using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;
using Writ.Core.Domain;

namespace Writ.Core.Tasks;

/// <summary>Cedar entities and values of Writ's agent domain (see WritSchema.cedarschema), with the type objects built once.</summary>
internal static class WritEntities
{
    public static readonly EntityType Owner = new("Writ::Owner");
    public static readonly EntityType User = new("Writ::User");
    public static readonly EntityType Agent = new("Writ::Agent");
    public static readonly EntityType Toolset = new("Writ::Toolset");
    public static readonly EntityType Tool = new("Writ::Tool");
    public static readonly EntityType Target = new("Writ::Target");
    public static readonly EntityType Resource = new("Writ::Resource");
    public static readonly EntityType Prompt = new("Writ::Prompt");
    public static readonly EntityType Task = new("Writ::Task");
    public static readonly EntityType ToolCall = new("Writ::ToolCall");

    private static readonly EntityType ActionType = new("Writ::Action");
    public static readonly EntityUid StartTask = new(ActionType, "StartTask");
    public static readonly EntityUid CallTool = new(ActionType, "CallTool");
    public static readonly EntityUid ReadResource = new(ActionType, "ReadResource");
    public static readonly EntityUid GetPrompt = new(ActionType, "GetPrompt");
    public static readonly EntityUid Delegate = new(ActionType, "Delegate");

    public static readonly IReadOnlyDictionary<string, Value> NoTags = new Dictionary<string, Value>(StringComparer.Ordinal);

    public static Entity OwnerEntity(string owner) => new(new EntityUid(Owner, owner));

    public static EntityUid AgentUid(string name) => new(Agent, name);

    /// <summary>The agent with its attributes, its owner as parent and its metadata as tags.</summary>
    public static Entity AgentEntity(Agent agent, TaskAttestation attestation)
    {
        var owner = new EntityUid(Owner, agent.Owner);
        var tags = new Dictionary<string, Value>(agent.Metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in agent.Metadata)
        {
            tags[key] = new StringValue(value);
        }

        var attributes = new RecordValue(
        [
            new("spiffeId", new StringValue(agent.SpiffeId.ToString())),
            new("owner", owner),
            new("status", new StringValue(WireName.Of(agent.Status))),
            new("attestation", AttestationRecord(attestation)),
        ]);
        return new Entity(AgentUid(agent.Name), attributes, [owner], tags);
    }

    public static RecordValue AttestationRecord(TaskAttestation attestation) =>
        new([new("method", new StringValue(attestation.Method)), new("issuer", new StringValue(attestation.Issuer ?? string.Empty))]);

    public static Entity UserEntity(TaskUser user) =>
        new(new EntityUid(User, user.Id), new RecordValue([new("issuer", new StringValue(user.Issuer)), new("subject", new StringValue(user.Subject))]));

    /// <summary>The tool (in its toolset) and the toolset.</summary>
    public static (Entity Tool, Entity Toolset) ToolEntities(string tool)
    {
        var dot = tool.IndexOf('.', StringComparison.Ordinal);
        var toolset = new EntityUid(Toolset, dot > 0 ? tool[..dot] : tool);
        return (new Entity(new EntityUid(Tool, tool), null, [toolset]), new Entity(toolset));
    }

    public static SetValue ToolSet(TaskIntent intent) => new(intent.Tools.Select(g => (Value)new EntityUid(Tool, g.Tool)));

    public static SetValue TargetSet(TaskIntent intent) =>
        new(intent.Tools.SelectMany(g => g.Targets).Distinct(StringComparer.Ordinal).Select(t => (Value)new EntityUid(Target, t)));

    public static SetValue ChainSet(IReadOnlyList<string> chain)
    {
        if (chain.Count == 0)
        {
            return SetValue.Empty;
        }

        return new SetValue(chain.Select(spiffe => (Value)AgentUid(SpiffeId.TryParse(spiffe, out var id, out _) && id.TryGetAgentName(out var name) ? name : spiffe)));
    }

    /// <summary>The task entity: its declared intent, owner, agent, user and delegation chain.</summary>
    public static Entity TaskEntity(string taskId, string owner, string agentName, TaskUser? user, TaskIntent intent, IReadOnlyList<string> chain)
    {
        var fields = new List<KeyValuePair<string, Value>>(10)
        {
            new("purpose", new StringValue(intent.Purpose)),
            new("owner", new EntityUid(Owner, owner)),
            new("agent", AgentUid(agentName)),
            new("tools", ToolSet(intent)),
            new("targets", TargetSet(intent)),
            new("sensitivity", new StringValue(SensitivityNames.Of(intent.Sensitivity))),
            new("sensitivityLevel", LongValue.Of((long)intent.Sensitivity)),
            new("depth", LongValue.Of(chain.Count)),
            new("chain", ChainSet(chain)),
        };
        if (user is not null)
        {
            fields.Add(new("user", new EntityUid(User, user.Id)));
        }

        return new Entity(new EntityUid(Task, taskId), new RecordValue(fields));
    }

    public static DatetimeValue Time(DateTimeOffset now) => new(now.ToUnixTimeMilliseconds());

    /// <summary>
    /// A call's arguments as tags: strings as they are, any other JSON value as its compact JSON text.
    /// Null when the arguments are not a JSON object or exceed the bounds.
    /// </summary>
    public static IReadOnlyDictionary<string, Value>? ArgumentTags(JsonElement? arguments, int maxArguments, int maxValueLength)
    {
        if (arguments is not { } args || args.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return NoTags;
        }

        if (args.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var tags = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var member in args.EnumerateObject())
        {
            var text = member.Value.ValueKind switch
            {
                JsonValueKind.String => member.Value.GetString()!,
                JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(member.Value),
                _ => member.Value.GetRawText(),
            };
            if (tags.Count >= maxArguments || text.Length > maxValueLength || member.Name.Length > 256 || !tags.TryAdd(member.Name, new StringValue(text)))
            {
                return null;
            }
        }

        return tags;
    }
}
