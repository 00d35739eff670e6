namespace Writ.Core.Storage;

/// <summary>The database was migrated by a newer writ binary; this one refuses to start.</summary>
public sealed class SchemaVersionTooNewException : Exception
{
    /// <summary>Creates the exception for the given versions.</summary>
    public SchemaVersionTooNewException(int databaseVersion, int supportedVersion)
        : base($"database schema version {databaseVersion} is newer than this writ binary supports ({supportedVersion}); upgrade writ")
    {
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchemaVersionTooNewException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchemaVersionTooNewException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SchemaVersionTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The schema version found in the database.</summary>
    public int DatabaseVersion { get; }

    /// <summary>The newest schema version this binary knows.</summary>
    public int SupportedVersion { get; }
}
