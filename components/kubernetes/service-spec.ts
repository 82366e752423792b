/** The spec of a one-port Service: NodePort when it has one, else ClusterIP. */
export function servicePorts(
    nodePort: number | undefined,
    name: string,
    port: number,
    selector: Record<string, string>,
) {
    return nodePort === undefined
        ? { type: "ClusterIP", selector, ports: [{ name, port, targetPort: port }] }
        : { type: "NodePort", selector, ports: [{ name, port, targetPort: port, nodePort }] };
}
