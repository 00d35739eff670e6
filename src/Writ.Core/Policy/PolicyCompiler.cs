using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Writ.Cedar.Ast;
using CedarPolicy = Writ.Cedar.Ast.Policy;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;

namespace Writ.Core.Policy;

/// <summary>
/// Turns policy files into one Cedar policy set and validates it (strict mode) against a schema. Cedar text files
/// (<c>*.cedar</c>) name each policy by its <c>@id("…")</c> annotation, else <c>&lt;file stem&gt;.policy&lt;n&gt;</c>
/// (n counting from 0 in text order); JSON files hold one policy in Cedar's JSON policy format (id: the file stem)
/// or a JSON policy set (<c>staticPolicies</c>/<c>templates</c>/<c>templateLinks</c>, ids as given).
/// </summary>
public static class PolicyCompiler
{
    /// <summary>Most files a set may have.</summary>
    public const int MaxFiles = 256;

    /// <summary>Longest file name.</summary>
    public const int MaxFileNameLength = 128;

    /// <summary>Compiles <paramref name="files"/>; validation runs only when <paramref name="schema"/> is given and everything parsed.</summary>
    public static PolicyCompilation Compile(IReadOnlyList<PolicyFile> files, CedarSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<PolicyIssue>();
        var all = new List<CedarPolicy>();
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (files.Count > MaxFiles)
        {
            errors.Add(new PolicyIssue(null, "(set)", null, null, "too-many-files", $"a policy set has at most {MaxFiles} files"));
            return new PolicyCompilation(null, errors, []);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!IsValidFileName(file.Name))
            {
                errors.Add(new PolicyIssue(null, file.Name ?? "(unnamed)", null, null, "invalid-file-name", $"file names end in .cedar or .json and have 1 to {MaxFileNameLength} characters without path separators or control characters"));
                continue;
            }

            if (!names.Add(file.Name))
            {
                errors.Add(new PolicyIssue(null, file.Name, null, null, "duplicate-file", "the set has two files with this name"));
                continue;
            }

            foreach (var policy in Parse(file, errors))
            {
                if (!fileOf.TryAdd(policy.Id, file.Name))
                {
                    errors.Add(new PolicyIssue(policy.Id, file.Name, Line(policy.Span), Column(policy.Span), "duplicate-id", $"policy id '{policy.Id}' is also used in {fileOf[policy.Id]}"));
                    continue;
                }

                all.Add(policy);
            }
        }

        if (errors.Count > 0)
        {
            return new PolicyCompilation(null, errors, []);
        }

        PolicySet set;
        try
        {
            set = new PolicySet(all);
        }
        catch (ArgumentException e)
        {
            errors.Add(new PolicyIssue(null, "(set)", null, null, "invalid-set", e.Message));
            return new PolicyCompilation(null, errors, []);
        }

        var warnings = new List<PolicyIssue>();
        if (schema is not null)
        {
            var result = PolicyValidator.Validate(set, schema);
            errors.AddRange(result.Errors.Select(i => Issue(i, fileOf)));
            warnings.AddRange(result.Warnings.Select(i => Issue(i, fileOf)));
        }

        return new PolicyCompilation(errors.Count == 0 ? set : null, errors, warnings);
    }

    /// <summary>Whether <paramref name="name"/> is acceptable as a policy file name.</summary>
    public static bool IsValidFileName([NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxFileNameLength
        && (name.EndsWith(".cedar", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal))
        && name.Length > ".json".Length
        && !name.Any(c => c is '/' or '\\' || char.IsControl(c))
        && name[0] != '.';

    private static IEnumerable<CedarPolicy> Parse(PolicyFile file, List<PolicyIssue> errors)
    {
        var stem = Path.GetFileNameWithoutExtension(file.Name);
        var text = file.Text ?? string.Empty;
        try
        {
            if (file.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                return ParseJson(stem, text);
            }

            var parsed = PolicyParser.ParsePolicies(text);
            var renamed = new List<CedarPolicy>(parsed.Count);
            for (var i = 0; i < parsed.Count; i++)
            {
                var p = parsed[i];
                renamed.Add(p.WithId(p.GetAnnotation("id") ?? $"{stem}.policy{i}"));
            }

            return renamed;
        }
        catch (CedarParseException e)
        {
            errors.Add(new PolicyIssue(null, file.Name, e.Line > 0 ? e.Line : null, e.Line > 0 ? e.Column : null, "parse-error", e.Message));
        }
        catch (Exception e) when (e is CedarJsonException or JsonException or ArgumentException or FormatException or InvalidOperationException or DecoderFallbackException)
        {
            errors.Add(new PolicyIssue(null, file.Name, null, null, "parse-error", e.Message));
        }

        return [];
    }

    private static IReadOnlyList<CedarPolicy> ParseJson(string stem, string text)
    {
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("effect", out _))
        {
            return [PolicyJson.ReadPolicy(doc.RootElement, stem)];
        }

        var set = PolicyJson.ParsePolicySet(text);
        return [.. set.Templates.Values, .. set.Policies];
    }

    private static PolicyIssue Issue(ValidationIssue issue, Dictionary<string, string> fileOf) =>
        new(issue.PolicyId, fileOf.GetValueOrDefault(issue.PolicyId, "(set)"), Line(issue.Span), Column(issue.Span), Kebab(issue.Kind.ToString()), issue.Message);

    private static int? Line(SourceSpan span) => span.IsKnown ? span.Line : null;

    private static int? Column(SourceSpan span) => span.IsKnown ? span.Column : null;

    // UnexpectedType -> unexpected-type, the spelling Cedar's documentation uses.
    private static string Kebab(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
