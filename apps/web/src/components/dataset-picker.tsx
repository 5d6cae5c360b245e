/** A GET form that reloads the page for another dataset, keeping the other query parameters. */
export function DatasetPicker({
  datasets,
  current,
  extra = {},
}: {
  datasets: readonly { id: string; name: string }[];
  current: string;
  extra?: Record<string, string>;
}) {
  return (
    <form className="toolbar" method="get">
      {Object.entries(extra).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <div className="field">
        <label htmlFor="dataset">Dataset</label>
        <select id="dataset" name="dataset" defaultValue={current}>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
    </form>
  );
}

/** Returns the dataset named by the `dataset` query parameter, or the first one. */
export function chooseDataset<T extends { id: string }>(
  datasets: readonly T[],
  param: string | string[] | undefined,
): T | undefined {
  return datasets.find((d) => d.id === param) ?? datasets[0];
}
