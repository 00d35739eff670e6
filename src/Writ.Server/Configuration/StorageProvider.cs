namespace Writ.Server.Configuration;

/// <summary>Where the control plane keeps its data.</summary>
internal enum StorageProvider
{
    /// <summary>A SQLite file in the data directory (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by any number of processes.</summary>
    Postgres,
}
