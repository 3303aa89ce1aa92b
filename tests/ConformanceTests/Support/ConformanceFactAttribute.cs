using Xunit.Sdk;

namespace VfsGateway.ConformanceTests.Support;

/// <summary>
/// A fact that may skip itself at run time by throwing <see cref="SkipException"/> (xunit 2 has no
/// dynamic skip): a test for a feature the fixture declares missing shows up as skipped in the
/// counts instead of passing without asserting anything.
/// </summary>
[XunitTestCaseDiscoverer("VfsGateway.ConformanceTests.Support.ConformanceFactDiscoverer", "VfsGateway.ConformanceTests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceFactAttribute : FactAttribute
{
}
