using Writ.Cedar.Evaluation;

namespace Writ.Cedar.Authorization;

/// <summary>A when (or unless) clause of a policy, compiled to a node.</summary>
internal readonly record struct CompiledCondition(Node Body, bool IsWhen);
