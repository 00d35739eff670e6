using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Longest argument name (UTF-8 bytes, as written) a call may carry into the decision.</summary>
    public const int MaxArgumentNameLength = 1024;

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
    /// How many arguments a call carries into the decision (0 for none), or -1 when they are not a JSON object,
    /// repeat a name, or exceed the bounds: checked up front, so a bad call never reaches Cedar. The arguments
    /// become the <c>ToolCall</c>'s tags (see <see cref="ArgumentTagView"/>): strings as they are, any other JSON
    /// value as its compact JSON text, converted only when a policy reads them.
    /// </summary>
    public static int CountArguments(JsonElement? arguments, int maxArguments, int maxValueLength)
    {
        var kind = arguments?.ValueKind ?? JsonValueKind.Undefined;
        if (kind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return 0;
        }

        var args = arguments.GetValueOrDefault();
        if (kind != JsonValueKind.Object)
        {
            return -1;
        }

        var count = args.GetPropertyCount();
        if (count == 0)
        {
            return 0;
        }

        if (count > maxArguments)
        {
            return -1;
        }

        // Arguments no longer than either bound cannot hold a value or a name beyond it, and arguments without a
        // backslash hold no escaped name, so their names compare as raw UTF-8: the usual call skips those checks.
        var whole = JsonMarshal.GetRawUtf8Value(args);
        var withinBounds = whole.Length <= Math.Min(maxValueLength, MaxArgumentNameLength);
        var escapes = whole.IndexOf((byte)'\\') >= 0;

        // One pass over the members, each compared with the ones before it (kept on the stack for a few
        // arguments, in a pooled array beyond), so a repeated name, which tools and policies might read
        // differently, is caught without allocating.
        var inline = default(SeenMembers);
        JsonProperty[]? rented = count > SeenMembers.Length ? ArrayPool<JsonProperty>.Shared.Rent(count) : null;
        var seen = rented is null ? (Span<JsonProperty>)inline : rented;
        try
        {
            var index = 0;
            foreach (var member in args.EnumerateObject())
            {
                if ((!withinBounds && Overlong(member, maxValueLength)) || Repeated(member, seen[..index], escapes))
                {
                    return -1;
                }

                seen[index++] = member;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<JsonProperty>.Shared.Return(rented, clearArray: true);
            }
        }

        return count;
    }

    private static bool Overlong(JsonProperty member, int maxValueLength) =>
        JsonMarshal.GetRawUtf8Value(member.Value).Length > maxValueLength || JsonMarshal.GetRawUtf8PropertyName(member).Length > MaxArgumentNameLength;

    private static bool Repeated(JsonProperty member, ReadOnlySpan<JsonProperty> earlier, bool escapes)
    {
        if (earlier.IsEmpty)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8PropertyName(member);
        if (!escapes)
        {
            foreach (var other in earlier)
            {
                if (JsonMarshal.GetRawUtf8PropertyName(other).SequenceEqual(raw))
                {
                    return true;
                }
            }

            return false;
        }

        // A name with escapes is compared by its decoded text; one without, by its raw UTF-8 (no string).
        var name = raw.IndexOf((byte)'\\') >= 0 ? member.Name : null;
        foreach (var other in earlier)
        {
            if (name is null ? other.NameEquals(raw) : other.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    [InlineArray(Length)]
    private struct SeenMembers
    {
        public const int Length = 8;

        private JsonProperty first;
    }
}
