/**
 * Prometheus and AlertManager as the effectivenessmonitor and kubernautagent lanes run them: the lane's pinned images,
 * published on its `prometheus` and `alertManager` ports.
 */
import type { LaneWith } from "../../components/lane/lane.js";
import { AlertManager } from "../../components/kubernetes/alertmanager.js";
import { Prometheus } from "../../components/kubernetes/prometheus.js";

export interface ObservabilityImages {
    readonly prometheusImage: string;
    readonly alertManagerImage: string;
}

export function observability(
    lane: LaneWith<never, "prometheus" | "alertManager"> & { readonly config: ObservabilityImages },
) {
    const { config, placement } = lane;
    return {
        prometheus: new Prometheus("prometheus", {
            ...placement,
            image: lane.thirdParty("prometheus", config.prometheusImage),
            nodePort: lane.nodePort("prometheus"),
        }),
        alertManager: new AlertManager("alertmanager", {
            ...placement,
            image: lane.thirdParty("alertmanager", config.alertManagerImage),
            nodePort: lane.nodePort("alertManager"),
        }),
    };
}
