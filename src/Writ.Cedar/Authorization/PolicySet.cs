using System.Diagnostics.CodeAnalysis;
using Writ.Cedar.Ast;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>
/// A set of static policies, templates and template-linked policies, each with a unique id.
/// Policies are compiled and indexed by scope on first use; the set is safe to share for concurrent
/// authorization once it is no longer being changed.
/// </summary>
public sealed class PolicySet
{
    private readonly List<Policy> _policies = [];
    private readonly Dictionary<string, Policy> _templates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private PolicyIndex? _index;

    /// <summary>Creates an empty set.</summary>
    public PolicySet()
    {
    }

    /// <summary>Creates a set from policies and templates (templates are recognised by their slots).</summary>
    public PolicySet(IEnumerable<Policy> policies)
    {
        foreach (var p in policies)
        {
            Add(p);
        }
    }

    /// <summary>Static and linked policies, in the order added.</summary>
    public IReadOnlyList<Policy> Policies => _policies;

    /// <summary>Templates by id.</summary>
    public IReadOnlyDictionary<string, Policy> Templates => _templates;

    /// <summary>Parses Cedar text; policies get ids <c>policy0</c>, <c>policy1</c>, … in text order.</summary>
    public static PolicySet Parse(string text, ParserOptions? options = null) => new(PolicyParser.ParsePolicies(text, options));

    /// <summary>Adds a static policy or a template. Throws <see cref="ArgumentException"/> when the id is taken.</summary>
    public void Add(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!_ids.Add(policy.Id))
        {
            throw new ArgumentException($"duplicate policy id {policy.Id}", nameof(policy));
        }

        if (policy.IsTemplate)
        {
            _templates.Add(policy.Id, policy);
        }
        else
        {
            _policies.Add(policy);
        }

        _index = null;
    }

    /// <summary>Links template <paramref name="templateId"/> as policy <paramref name="newId"/> with the given slot values.</summary>
    public Policy Link(string templateId, string newId, IReadOnlyDictionary<SlotId, EntityUid> values)
    {
        if (!_templates.TryGetValue(templateId, out var template))
        {
            throw new ArgumentException($"no template with id {templateId}", nameof(templateId));
        }

        if (_ids.Contains(newId))
        {
            throw new ArgumentException($"duplicate policy id {newId}", nameof(newId));
        }

        var linked = template.Link(newId, values);
        _ids.Add(newId);
        _policies.Add(linked);
        _index = null;
        return linked;
    }

    /// <summary>Finds a static or linked policy by id.</summary>
    public bool TryGetPolicy(string id, [MaybeNullWhen(false)] out Policy policy)
    {
        policy = _policies.Find(p => p.Id == id);
        return policy is not null;
    }

    internal PolicyIndex Index => _index ??= new PolicyIndex(_policies);
}
