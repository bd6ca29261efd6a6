"""A plain-Python kNN that the chunked search must agree with."""
import torch


def brute_force_predict(query, reference, ref_labels, k, temperature=0.07,
                        weighting='exp'):
    """Predictions from the full float64 cosine matrix; neighbours sorted
    by (similarity desc, index asc), class ties to the lower class."""
    q = torch.nn.functional.normalize(query.double(), dim=1)
    r = torch.nn.functional.normalize(reference.double(), dim=1)
    return brute_force_from_sims(q @ r.T, ref_labels, k, temperature,
                                 weighting)


def brute_force_from_sims(sims, ref_labels, k, temperature=0.07,
                          weighting='exp'):
    num_classes = int(ref_labels.max()) + 1
    predicted = []
    for row in sims.tolist():
        order = sorted(range(len(row)), key=lambda j: (-row[j], j))[:k]
        votes = [0.0] * num_classes
        for j in order:
            w = 1.0
            if weighting == 'exp':
                w = float(torch.tensor((row[j] - row[order[0]]) /
                                       temperature).exp())
            votes[int(ref_labels[j])] += w
        predicted.append(max(range(num_classes), key=lambda c: (votes[c],
                                                                -c)))
    return torch.tensor(predicted)
