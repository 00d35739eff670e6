namespace Writ.Core.Tasks;

/// <summary>How sensitive the data a task may touch is; ordered, so a ceiling can only be lowered.</summary>
public enum Sensitivity
{
    /// <summary>Public data (level 0).</summary>
    Public = 0,

    /// <summary>Internal data (level 1).</summary>
    Internal = 1,

    /// <summary>Confidential data (level 2).</summary>
    Confidential = 2,

    /// <summary>Restricted data (level 3).</summary>
    Restricted = 3,
}

/// <summary>Wire names of <see cref="Sensitivity"/>.</summary>
public static class SensitivityNames
{
    /// <summary>The lower-case wire name.</summary>
    public static string Of(Sensitivity sensitivity) => sensitivity switch
    {
        Sensitivity.Public => "public",
        Sensitivity.Internal => "internal",
        Sensitivity.Confidential => "confidential",
        Sensitivity.Restricted => "restricted",
        _ => throw new ArgumentOutOfRangeException(nameof(sensitivity)),
    };

    /// <summary>Parses an exact lower-case wire name.</summary>
    public static bool TryParse(string? text, out Sensitivity sensitivity)
    {
        (var ok, sensitivity) = text switch
        {
            "public" => (true, Sensitivity.Public),
            "internal" => (true, Sensitivity.Internal),
            "confidential" => (true, Sensitivity.Confidential),
            "restricted" => (true, Sensitivity.Restricted),
            _ => (false, Sensitivity.Public),
        };
        return ok;
    }
}
