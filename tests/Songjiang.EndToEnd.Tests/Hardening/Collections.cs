using Songjiang.Testing;

namespace Songjiang.EndToEnd.Tests.Hardening;

/// <summary>One embedded platform on SQLite shared by the hardening tests (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class HardeningOnSqlite : ICollectionFixture<PlatformFixture>
{
    public const string Name = "hardening on SQLite";
}

/// <summary>One embedded platform on the test PostgreSQL server shared by the hardening tests.</summary>
[CollectionDefinition(Name)]
public sealed class HardeningOnPostgres : ICollectionFixture<PostgresPlatformFixture>
{
    public const string Name = "hardening on PostgreSQL";
}
