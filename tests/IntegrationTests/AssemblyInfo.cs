// The tests start real Linux processes (restic, htpasswd, the gateway) and use Unix file modes and signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
