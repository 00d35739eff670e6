using Writ.Testing.Postgres;

// One throwaway PostgreSQL cluster for the whole run, started by the first test that asks for it.
[assembly: AssemblyFixture(typeof(SharedPostgresCluster))]
