/**
 * notification's suite (test/e2e/notification): skip process 1's setup and trust the stack's CA wherever the suite
 * and its specs build a DataStorage transport. Its teardown returns on KEEP_CLUSTER=true before must-gather, coverage
 * and the cluster delete, and every URL it hard-codes is this stack's host port.
 */
import { specTrustsStackCa, trustStackCa } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

export const notification: SuiteSpec = {
    stack: "notification-e2e",
    dir: "test/e2e/notification",
    package: "notification",
    edits: [
        {
            // Skip the setup (it builds images and deploys into notification-e2e), broadcasting what it broadcast.
            file: "notification_e2e_suite_test.go",
            anchor: `\t\tclusterName = "notification-e2e"\n`,
            replacement:
                `\t\tclusterName = "notification-e2e"\n` +
                `\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\treturn []byte(fmt.Sprintf("%s|%s", out.KubeconfigPath, out.SuiteToken))\n\t\t}\n`,
        },
        // The suite's http.DefaultTransport, and the audit specs' own DataStorage clients.
        trustStackCa("notification_e2e_suite_test.go"),
        ...specTrustsStackCa("01_notification_lifecycle_audit_test.go"),
        ...specTrustsStackCa("02_audit_correlation_test.go"),
        ...specTrustsStackCa("04_failed_delivery_audit_test.go"),
    ],
    // Twelve NotificationRequests (03, 05, 06, 07) have fixed names and stay: a second run's Create would fail.
    leftovers: ["notificationrequests.kubernaut.ai"],
    beyondSmallest:
        "Three spec files build their own DataStorage transports, so the CA edit covers them too (four files), " +
        "and the suite's fixed-name NotificationRequests are cleared before a run.",
};
