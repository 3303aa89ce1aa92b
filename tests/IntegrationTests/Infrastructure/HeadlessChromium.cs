namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's chromium in headless mode, one launch per page: it loads the URL, lets the page's
/// scripts run for a virtual-time budget (timers fast-forwarded, network waited for), then prints
/// the DOM and writes a screenshot. Each launch has its own profile directory; ProcessRunner
/// kills it by PID if it hangs.
/// </summary>
internal static class HeadlessChromium
{
    public static async Task<string> DumpDomAndScreenshotAsync(string url, string screenshotFile, int virtualTimeMilliseconds = 5000)
    {
        // --no-sandbox: chromium refuses to run as root with its sandbox (CI runs as root).
        var chromium = Tool.Require("chromium");
        using var profile = new TempDir("chromium-profile");
        var result = await ProcessRunner.RunAsync(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.Path,
                "--virtual-time-budget=" + virtualTimeMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--window-size=1280,1000",
                "--screenshot=" + screenshotFile,
                "--dump-dom",
                url,
            ],
            timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.Succeeded, result.Describe());
        return result.Stdout;
    }
}
