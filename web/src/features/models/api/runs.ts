import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { graphql } from "../../../gql";
import type { ModelTask, PortalTrainingRunsQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const TrainingRunsDocument = graphql(`
  query PortalTrainingRuns($assetTypeId: ID!) {
    trainingRuns(assetTypeId: $assetTypeId, first: 10) {
      edges {
        node {
          id
          task
          trigger
          reason
          status
          startedAt
          finishedAt
          versionId
          promoted
          error
        }
      }
    }
  }
`);

export const TrainingRunDocument = graphql(`
  query PortalTrainingRun($id: ID!) {
    trainingRun(id: $id) {
      id
      status
      finishedAt
      versionId
      promoted
      error
      progress {
        stage
        percent
      }
    }
  }
`);

export const TrainModelDocument = graphql(`
  mutation PortalTrainModel($input: TrainModelInput!) {
    trainModel(input: $input) {
      id
      status
    }
  }
`);

export const CancelTrainingRunDocument = graphql(`
  mutation PortalCancelTrainingRun($id: ID!) {
    cancelTrainingRun(id: $id) {
      id
      status
    }
  }
`);

export type RunRow = PortalTrainingRunsQuery["trainingRuns"]["edges"][number]["node"];

/** How often a running training is asked for its progress. */
export const PROGRESS_POLL_MS = 1_000;

/** The asset type's latest 10 training runs, newest first. */
export function useTrainingRuns(tenantId: string, assetTypeId: string) {
  return useQuery({
    queryKey: ["models", tenantId, "runs", assetTypeId] as const,
    queryFn: () => memberRequest(TrainingRunsDocument, { assetTypeId }).then((r) => r.trainingRuns.edges.map((e) => e.node)),
    enabled: tenantId !== "",
  });
}

/**
 * A running training's stage and percent, asked every second until it ends; then the runs, models
 * and versions of the tenant are asked again (the run may have registered a version).
 */
export function useRunProgress(tenantId: string, runId: string, running: boolean) {
  const queryClient = useQueryClient();
  const progress = useQuery({
    queryKey: ["models", tenantId, "run", runId] as const,
    queryFn: () => memberRequest(TrainingRunDocument, { id: runId }).then((r) => r.trainingRun),
    enabled: tenantId !== "" && running,
    refetchInterval: (query) => (query.state.data && query.state.data.status !== "RUNNING" ? false : PROGRESS_POLL_MS),
  });
  const ended = progress.data !== undefined && progress.data.status !== "RUNNING";
  useEffect(() => {
    if (!ended) return;
    for (const part of ["runs", "type", "versions", "overview"])
      void queryClient.invalidateQueries({ queryKey: ["models", tenantId, part] });
  }, [ended, queryClient, tenantId]);
  return progress;
}

/** Starts a training run (reason required). */
export function useTrainModel(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { assetTypeId: string; task: ModelTask; reason: string }) =>
      memberRequest(TrainModelDocument, { input }).then((r) => r.trainModel),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["models", tenantId, "runs"] }),
  });
}

/** Asks a running training to stop; its row keeps polling until the run says cancelled. */
export function useCancelRun(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => memberRequest(CancelTrainingRunDocument, { id }).then((r) => r.cancelTrainingRun),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["models", tenantId, "runs"] }),
  });
}
