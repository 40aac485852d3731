using System.Runtime.Versioning;

// The bench reads /proc and starts Debian's wrk, redis-server and PostgreSQL: Linux only.
[assembly: SupportedOSPlatform("linux")]
