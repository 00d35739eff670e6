namespace Writ.Core.Tasks;

/// <summary>A delegated intent may only narrow its parent's: tools, targets, sensitivity and duration.</summary>
internal static class IntentNarrowing
{
    /// <summary>Why <paramref name="requested"/> widens <paramref name="parent"/>, or null when it does not.</summary>
    public static string? Widening(TaskIntent parent, TaskIntent requested, TimeSpan parentRemaining)
    {
        foreach (var grant in requested.Tools)
        {
            var granted = parent.Find(grant.Tool);
            if (granted is null)
            {
                return $"tool '{grant.Tool}' is not granted to the parent task";
            }

            foreach (var target in grant.Targets)
            {
                if (!granted.Targets.Contains(target, StringComparer.Ordinal))
                {
                    return $"target '{target}' of tool '{grant.Tool}' is not granted to the parent task";
                }
            }
        }

        if (requested.Sensitivity > parent.Sensitivity)
        {
            return $"sensitivity '{SensitivityNames.Of(requested.Sensitivity)}' is above the parent task's '{SensitivityNames.Of(parent.Sensitivity)}'";
        }

        if (requested.MaxDuration > parentRemaining)
        {
            return $"the requested duration outlasts the parent task, which ends in {(long)parentRemaining.TotalSeconds} seconds";
        }

        return null;
    }
}
