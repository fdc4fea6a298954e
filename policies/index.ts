// Entry point of the pack for `pulumi preview --policy-pack policies`. Importing this module starts
// the analyzer server: tests and tools import ./policies (the list) or ./engine instead.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("k8s-platform", { policies, enforcementLevel: "mandatory" });
