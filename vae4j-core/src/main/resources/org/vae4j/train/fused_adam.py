# TorchScript source of the module FusedAdamKernel assembles at run time (the form torch.jit.save writes).
# All entries of `steps` are one scalar tensor: adding one to steps[0] advances the step count of every parameter.
class FusedAdam(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.FusedAdam,
    params: List[Tensor],
    grads: List[Tensor],
    exp_avgs: List[Tensor],
    exp_avg_sqs: List[Tensor],
    steps: List[Tensor],
    lr: float,
    beta1: float,
    beta2: float,
    eps: float) -> Tensor:
    grad_enabled = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    steps[0].add_(1.)
    torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=0., eps=eps, amsgrad=False, maximize=False)
    torch._foreach_zero_(grads)
    torch.set_grad_enabled(grad_enabled)
    return steps[0]
