namespace Songjiang.Persistence;

/// <summary>The database engine a service stores its data in.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file per service under <see cref="DatabaseOptions.DataDirectory"/> (embedded mode).</summary>
    Sqlite,

    /// <summary>PostgreSQL, one database per service (distributed mode).</summary>
    Postgres,
}

/// <summary>Database settings shared by every service (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Database";

    /// <summary>The engine, chosen by configuration only.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where SQLite files live when no connection string is configured.</summary>
    public string DataDirectory { get; set; } = "data";
}
